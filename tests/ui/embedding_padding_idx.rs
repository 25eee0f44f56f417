use netshape::network;

network! {
    pub struct Net {
        input: [12] as i64,
        embed: Embedding(1000, 64, padding_idx = 1000),
    }
}

fn main() {}
