//! Blocks for another crate: `#[export]` makes each a macro at this crate's
//! root, which `network! { use netshape_exported_blocks::Residual; … }` in a
//! crate depending on this one pastes in.

netshape::network! {
    /// A residual unit of two 3×3 convolutions.
    #[export]
    pub block Residual(channels) {
        add(
            [
                conv1: Conv2d(channels, channels, 3, padding = 1, bias = false),
                bn1: BatchNorm2d(channels),
                relu: ReLU(inplace = true),
                conv2: Conv2d(channels, channels, 3, padding = 1, bias = false),
                bn2: BatchNorm2d(channels),
            ],
            [],
        ),
        relu,
    }
}
