//! The keys of the inside group.

texts! {
    /// Inside the network: maps, filters, logits and receptive fields.
    InsideTexts {
        /// The view's heading, also its `aria-label`.
        heading,
        /// For a network without spatial layers; `{network}`: its kind (MLP).
        no_spatial_layers,
        /// While nothing is drawn.
        draw_hint,
        /// Caption of the logits table.
        logits_caption,
        /// The first spatial layer of a DSD net, as the page names it.
        layer_stem,
        /// A block of a DSD net, as the page names it; `{n}`: its number from 1.
        layer_block,
        /// A stage of a CNN (convolution and pooling), as the page names it; `{n}`: its number
        /// from 1.
        layer_stage,
        /// `aria-label` of the receptive field's image.
        field_image_label,
        /// What the unit sees; `{layer}`: its layer, `{row}` and `{col}`: its position,
        /// `{pixels}`: how many input pixels, `{height}` and `{width}`: their extent.
        field_text,
        /// As `field_text` with every dilation set to 1.
        field_text_undilated,
        /// The explorer's layer menu (a space is put after it).
        layer_label,
        /// The explorer's row field (spaces are put around it).
        row_label,
        /// The explorer's column field (spaces are put around it).
        column_label,
        /// The checkbox that turns dilation off (a space is put before it).
        undilated_toggle,
        /// Under the explorer.
        pick_hint,
        /// `aria-label` of a layer's maps; `{count}`: maps, `{layer}`: the layer.
        maps_image_label,
        /// Caption of a layer's maps; `{layer}`: the layer, `{count}`: maps, `{side}`: their
        /// side in units.
        maps_caption,
        /// As `maps_caption` for a dilated layer; `{dilation}`: its dilation.
        maps_caption_dilated,
        /// The learned filters' `<summary>`.
        filters_summary,
        /// Under the learned filters' summary.
        filters_hint,
        /// Caption of the stem's kernels; `{layer}`: the stem, `{count}`: kernels.
        stem_filters,
        /// Caption of a block's depthwise kernels; `{layer}`: the block, `{count}`: kernels,
        /// `{dilation}`: their dilation, `{extent}`: the pixels they span on each side.
        depthwise_filters,
        /// Caption of a block's pointwise weights; `{layer}`: the block, `{out}` and `{in}`:
        /// output and input channels.
        pointwise_filters,
    }
}
