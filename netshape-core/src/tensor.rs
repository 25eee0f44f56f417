//! Typed tensor markers: the shape lives in the type, batch left out.

macro_rules! tensor {
    ($(#[$doc:meta])* $name:ident, $rank:literal, [$($dim:ident),*]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name<$(const $dim: usize),*>;

        impl<$(const $dim: usize),*> $name<$($dim),*> {
            /// Number of dimensions, batch left out.
            pub const RANK: usize = $rank;
            /// The shape, batch left out.
            pub const SHAPE: [usize; $rank] = [$($dim),*];
        }

        impl<$(const $dim: usize),*> Shape for $name<$($dim),*> {
            const DIMS: &'static [usize] = &[$($dim),*];
        }
    };
}

/// A dim of a typed tensor marker whose size varies (an input declared
/// `[3, H, W] where H in …`): any size is accepted by the type, and the
/// network checks the declared ones.
///
/// ```
/// use netshape_core::{Tensor3, ANY};
///
/// assert_eq!(Tensor3::<3, ANY, ANY>::SHAPE, [3, usize::MAX, usize::MAX]);
/// ```
pub const ANY: usize = usize::MAX;

/// A typed tensor marker's shape, batch left out: what generic code reads.
///
/// ```
/// use netshape_core::{Shape, Tensor3};
///
/// fn dims<S: Shape>() -> &'static [usize] { S::DIMS }
/// assert_eq!(dims::<Tensor3<1, 28, 28>>(), [1, 28, 28]);
/// ```
pub trait Shape {
    /// The dims, batch left out.
    const DIMS: &'static [usize];
}

tensor!(
    /// A tensor with no dimension besides the batch.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor0::SHAPE, [0usize; 0]);
    /// ```
    Tensor0, 0, []
);
tensor!(
    /// A tensor of shape `[D0]`, batch left out: features.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor1::<10>::SHAPE, [10]);
    /// ```
    Tensor1, 1, [D0]
);
tensor!(
    /// A tensor of shape `[D0, D1]`, batch left out: channels and length, or a sequence.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor2::<3, 100>::SHAPE, [3, 100]);
    /// ```
    Tensor2, 2, [D0, D1]
);
tensor!(
    /// A tensor of shape `[D0, D1, D2]`, batch left out: an image `[C, H, W]`.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor3::<1, 28, 28>::SHAPE, [1, 28, 28]);
    /// ```
    Tensor3, 3, [D0, D1, D2]
);
tensor!(
    /// A tensor of shape `[D0, D1, D2, D3]`, batch left out: a volume `[C, D, H, W]`.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor4::<3, 16, 112, 112>::RANK, 4);
    /// ```
    Tensor4, 4, [D0, D1, D2, D3]
);
tensor!(
    /// A tensor of five dimensions, batch left out.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor5::<1, 2, 3, 4, 5>::SHAPE, [1, 2, 3, 4, 5]);
    /// ```
    Tensor5, 5, [D0, D1, D2, D3, D4]
);
tensor!(
    /// A tensor of six dimensions, batch left out.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor6::<1, 2, 3, 4, 5, 6>::RANK, 6);
    /// ```
    Tensor6, 6, [D0, D1, D2, D3, D4, D5]
);
tensor!(
    /// A tensor of seven dimensions, batch left out.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor7::<1, 2, 3, 4, 5, 6, 7>::RANK, 7);
    /// ```
    Tensor7, 7, [D0, D1, D2, D3, D4, D5, D6]
);
tensor!(
    /// A tensor of eight dimensions, batch left out.
    ///
    /// ```
    /// assert_eq!(netshape_core::Tensor8::<1, 2, 3, 4, 5, 6, 7, 8>::RANK, 8);
    /// ```
    Tensor8, 8, [D0, D1, D2, D3, D4, D5, D6, D7]
);
