use netshape::network;

network! {
    pub struct Net {
        input: [10, 8],
        encoder: TransformerEncoder(TransformerEncoderLayer(8, 2), num_layers = 1000000),
    }
}

fn main() {}
