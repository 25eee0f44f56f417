use netshape::network;

network! {
    pub struct Net {
        input: [10, 100],
        attention: MultiheadAttention(100, 8),
    }
}

fn main() {}
