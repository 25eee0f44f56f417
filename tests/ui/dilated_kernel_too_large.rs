use netshape::network;

network! {
    pub struct Net {
        input: [2, 12],
        // Fixture case Conv1d-1-24: PyTorch says the kernel size is 19.
        conv: Conv1d(2, 6, kernel_size = 7, dilation = 3, bias = false),
    }
}

fn main() {}
