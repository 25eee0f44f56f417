use netshape::network;

network! {
    pub struct Net {
        input: [10],
        fc: Linear(10, 4294967296),
    }
}

fn main() {}
