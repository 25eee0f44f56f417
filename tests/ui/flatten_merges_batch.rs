use netshape::network;

network! {
    pub struct Net {
        input: [512, 7, 7],
        flatten(),
        fc: Linear(512 * 7 * 7, 10),
    }
}

fn main() {}
