use netshape::network;

network! {
    pub struct Net {
        input: [3, 4, 4],
        pad: ReflectionPad2d((1, 1, 4, 1)),
    }
}

fn main() {}
