use netshape::network;

network! {
    pub struct Net {
        input: [12] as i64,
        fc: Linear(12, 4),
    }
}

fn main() {}
