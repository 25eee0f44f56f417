use netshape::network;

// Only `MultiheadAttention` takes keyword arguments with its tensors.
network! {
    pub struct Net {
        input x: [10, 16],
        input y: [10, 16],
        attn: MultiheadAttention(16, 4, batch_first = true)(x, y, y, need_weights = false, is_causal = true),
        proj: Linear(16, 16)(x, bias = false),
    }
}

fn main() {}
