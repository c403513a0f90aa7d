//! IDX files.

use super::*;

/// Images and labels in the seeds: enough for every code path, small enough to parse 10,000
/// times in a second.
pub(super) const IDX_EXAMPLES: usize = 32;

/// One damaged IDX file: header fields (type, rank, a dimension, with the payload resized to
/// agree half the time, so the damage reaches the dataset checks), truncation and appended
/// bytes, or generic byte damage.
pub(super) fn damage_idx(m: &mut Mutator, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    match m.below(10) {
        0..=3 => match m.below(4) {
            0 => out[2] = *m.pick(&[0x00, 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0xff]),
            1 => out[3] = m.below(256) as u8,
            2 => {
                let rank = out[3] as usize;
                let axis = m.below(rank);
                let mut values = HOSTILE_U32.to_vec();
                let n = IDX_EXAMPLES as u32;
                values.extend([27, 28, 29, n - 1, n + 1, 10_000, 60_000]);
                let at = 4 + 4 * axis;
                out[at..at + 4].copy_from_slice(&m.pick(&values).to_be_bytes());
                if m.chance(0.5) {
                    let header = 4 + 4 * rank;
                    let elements = out[4..header].chunks_exact(4).try_fold(1usize, |acc, c| {
                        acc.checked_mul(u32::from_be_bytes(c.try_into().unwrap()) as usize)
                    });
                    if let Some(n) = elements.filter(|&n| n <= 1 << 20) {
                        out.resize(header + n, 0x80);
                    }
                }
            }
            _ => {
                let i = m.below(2);
                out[i] = m.below(256) as u8;
            }
        },
        4 | 5 => {
            if m.chance(0.5) {
                out.truncate(m.below(seed.len()));
            } else {
                let n = 1 + m.below(2 * 784);
                let extra = m.random_bytes(n);
                out.extend_from_slice(&extra);
            }
        }
        _ => out = m.bytes(seed),
    }
    out
}

/// Parses `input` as both files of a dataset in turn (the other file intact) and touches every
/// example of an accepted one.
pub(super) fn decode_idx(
    input: &[u8],
    is_images: bool,
    seeds: &[Vec<u8>; 2],
) -> Result<(), Rejected> {
    let _ = IdxArray::parse(input);
    let (images, labels) = if is_images {
        (input, &seeds[1][..])
    } else {
        (&seeds[0][..], input)
    };
    let dataset =
        Dataset::from_idx(DatasetKind::Mnist, images, labels).map_err(|e| Rejected::error(&e))?;
    for i in 0..dataset.len() {
        assert_eq!(dataset.image(i).len(), inkling_data::IMAGE_PIXELS);
        assert!(dataset.label(i) < 10);
    }
    Ok(())
}

#[test]
fn damaged_idx_files_raw_or_gzip_are_refused_with_a_reason_never_a_panic() {
    let (images_file, labels_file) = DatasetKind::Mnist.split_files(Split::Test);
    let read = |name: &str| read_data_file(DatasetKind::Mnist, name);
    let images_gz = read(images_file.name);
    let labels_gz = read(labels_file.name);
    let images = IdxArray::parse(&images_gz).expect("verified data");
    let labels = IdxArray::parse(&labels_gz).expect("verified data");
    // The first images and labels of the real test set, re-encoded with a correct header so
    // that damage reaches every check behind it.
    let seeds = [
        encode_u8(
            &[IDX_EXAMPLES, 28, 28],
            &images.data[..IDX_EXAMPLES * inkling_data::IMAGE_PIXELS],
        ),
        encode_u8(&[IDX_EXAMPLES], &labels.data[..IDX_EXAMPLES]),
    ];
    let gz_seeds = [gzip(&seeds[0]), gzip(&seeds[1])];
    let n = inputs();

    let mut m = Mutator::new(seed(1));
    let mut raw = Tally::new("IDX, raw");
    for i in 0..n {
        let is_images = i % 2 == 0;
        let input = damage_idx(&mut m, &seeds[usize::from(!is_images)]);
        raw.check(
            || show_bytes(&input),
            || decode_idx(&input, is_images, &seeds),
        );
    }
    raw.finish();

    let mut m = Mutator::new(seed(2));
    let mut gz = Tally::new("IDX, gzip");
    for i in 0..n {
        let is_images = i % 2 == 0;
        let which = usize::from(!is_images);
        let input = match m.below(10) {
            // Damaged IDX inside an intact gzip stream.
            0..=3 => gzip(&damage_idx(&mut m, &seeds[which])),
            // Damaged gzip framing: header flags and fields, the CRC-32 and size trailer.
            4 | 5 => {
                let len = gz_seeds[which].len();
                let region = if m.chance(0.5) { 0..10 } else { len - 8..len };
                m.bytes_within(&gz_seeds[which], region)
            }
            // Now and then the whole real file, cut short or damaged near its start.
            6 if i % 1000 == 6 => {
                let real = if is_images { &images_gz } else { &labels_gz };
                if m.chance(0.5) {
                    real[..m.below(real.len())].to_vec()
                } else {
                    m.bytes_within(real, 0..4096)
                }
            }
            _ => m.bytes(&gz_seeds[which]),
        };
        gz.check(
            || show_bytes(&input),
            || decode_idx(&input, is_images, &seeds),
        );
    }
    // A gzip bomb: a few hundred kilobytes that would inflate past the 256 MiB limit.
    let bomb = {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..=(inkling_data::idx::MAX_DECOMPRESSED_BYTES >> 20) {
            encoder.write_all(&zeros).expect("in-memory write");
        }
        encoder.finish().expect("in-memory write")
    };
    gz.check(
        || show_bytes(&bomb),
        || match IdxArray::parse(&bomb) {
            Err(e @ inkling_data::IdxError::TooLarge) => Err::<(), _>(Rejected::error(&e)),
            other => panic!("a gzip bomb must be refused as too large, got {other:?}"),
        },
    );
    gz.finish();
}
