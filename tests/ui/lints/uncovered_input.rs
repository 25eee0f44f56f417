// A 3×3 stride-2 conv without padding on 32 rows stops one row short.
#![deny(warnings)]

netshape::network! {
    pub struct Net {
        input: [3, 32, 32],
        conv: Conv2d(3, 8, 3, stride = 2),
    }
}

fn main() {}
