use netshape::network;

network! {
    pub struct Net {
        input: [10, 512],
        norm: LayerNorm(256),
    }
}

fn main() {}
