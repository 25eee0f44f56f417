// A pad adds one zero row: 28 + 1 = 29. A 3×3 stride-3 conv reads 27 of them,
// so besides the zero it drops a real row, and the lint fires.
#![deny(warnings)]

netshape::network! {
    pub struct Net {
        input: [3, 28, 28],
        pad((0, 1, 0, 1)),
        conv: Conv2d(3, 8, 3, stride = 3),
    }
}

fn main() {}
