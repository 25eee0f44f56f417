// A misspelt netshape lint is an error, with the closest name.
netshape::network! {
    #[allow(netshape::bias_before_batchnorm)]
    pub struct Net {
        input: [3, 32, 32],
        conv: Conv2d(3, 16, 3, padding = 1),
    }
}

fn main() {}
