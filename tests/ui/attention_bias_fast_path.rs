use netshape::network;

network! {
    pub struct Net {
        input: [10, 64],
        attention: MultiheadAttention(64, 4, bias = false, batch_first = true),
    }
}

fn main() {}
