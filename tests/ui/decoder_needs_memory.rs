use netshape::network;

network! {
    pub struct Net {
        input: [10, 512],
        decoder: TransformerDecoderLayer(512, 8),
    }
}

fn main() {}
