use netshape::network;

network! {
    pub struct Net {
        input: [3, 4, 4],
        drop: Dropout1d(0.2),
    }
}

fn main() {}
