/// The element type a size in bytes is computed for.
///
/// torchsummary assumes 4-byte floats; torchinfo and netshape's own memory
/// estimate take the type you train or run in.
///
/// ```
/// use netshape_core::Dtype;
///
/// assert_eq!(Dtype::F32.bytes(), 4);
/// assert_eq!(Dtype::Bf16.bytes(), 2);
/// assert_eq!(Dtype::I8.to_string(), "int8");
/// ```
///
/// With the `serde` feature it serializes as its PyTorch name, `"float32"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Dtype {
    /// `torch.float32`, 4 bytes: PyTorch's default.
    #[default]
    #[cfg_attr(feature = "serde", serde(rename = "float32"))]
    F32,
    /// `torch.float16`, 2 bytes.
    #[cfg_attr(feature = "serde", serde(rename = "float16"))]
    F16,
    /// `torch.bfloat16`, 2 bytes.
    #[cfg_attr(feature = "serde", serde(rename = "bfloat16"))]
    Bf16,
    /// `torch.int8`, 1 byte (quantized weights and activations).
    #[cfg_attr(feature = "serde", serde(rename = "int8"))]
    I8,
    /// `torch.float64`, 8 bytes.
    #[cfg_attr(feature = "serde", serde(rename = "float64"))]
    F64,
}

impl Dtype {
    /// Every element type.
    pub const ALL: [Dtype; 5] = [Dtype::F32, Dtype::F16, Dtype::Bf16, Dtype::I8, Dtype::F64];

    /// Bytes per element.
    pub const fn bytes(self) -> usize {
        match self {
            Dtype::F32 => 4,
            Dtype::F16 | Dtype::Bf16 => 2,
            Dtype::I8 => 1,
            Dtype::F64 => 8,
        }
    }
}

impl core::fmt::Display for Dtype {
    /// PyTorch's name, without `torch.`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Dtype::F32 => "float32",
            Dtype::F16 => "float16",
            Dtype::Bf16 => "bfloat16",
            Dtype::I8 => "int8",
            Dtype::F64 => "float64",
        })
    }
}
