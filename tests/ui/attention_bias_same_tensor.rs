use netshape::network;

// One tensor given three times is self-attention: PyTorch 1.13 takes its
// inference fast path, which fails without biases.
network! {
    pub struct Net {
        input: [10, 16],
        let x = [],
        attn: MultiheadAttention(16, 4, bias = false, batch_first = true)(x, x, x),
    }
}

fn main() {}
