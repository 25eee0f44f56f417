use netshape::network;

network! {
    pub struct Net {
        input: [8, 16, 4, 16],
        // PyTorch's avg_pool3d compares the kernel with the input before padding.
        pool: AvgPool3d(kernel_size = (2, 6, 2), padding = (0, 2, 0)),
    }
}

fn main() {}
