use netshape::network;

network! {
    pub struct Net {
        input: [8],
        fc: Linear(8, 8),
        output: (),
    }
}

fn main() {}
