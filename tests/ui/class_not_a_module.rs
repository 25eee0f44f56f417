// `#[class]` names a module's class; a function makes no module.
netshape::network! {
    pub struct Net {
        input: [3, 32, 32],
        #[class = "Conv3DSimple"]
        conv: Conv2d(3, 16, 3),
        #[class = "Activation"]
        relu(),
    }
}

fn main() {}
