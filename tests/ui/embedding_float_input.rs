use netshape::network;

network! {
    pub struct Net {
        input: [12],
        embed: Embedding(1000, 64),
    }
}

fn main() {}
