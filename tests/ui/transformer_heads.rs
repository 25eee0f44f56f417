use netshape::network;

network! {
    pub struct Net {
        input: [10, 512],
        encoder: TransformerEncoderLayer(512, 12),
    }
}

fn main() {}
