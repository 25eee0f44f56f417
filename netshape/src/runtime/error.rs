//! What can go wrong at run time: a checkpoint that does not fit the network,
//! an input of the wrong shape, a file that cannot be read, or the backend.

use std::fmt;

/// The runtime's result.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// A run-time error. Its message says what was expected and what was found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    Io {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The file is not a checkpoint netshape can read, or is damaged.
    Format {
        /// The file, or `<bytes>`.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The checkpoint's tensors do not match the network's `STATE_DICT`:
    /// every problem at once, as PyTorch's strict `load_state_dict` reports them.
    StateDict(Mismatch),
    /// An input's shape is not the network's.
    InputShape {
        /// Which input (0 for the first).
        input: usize,
        /// Its shape, batch left out.
        expected: Vec<usize>,
        /// The tensor's whole shape, batch included.
        found: Vec<usize>,
    },
    /// An input's size that varies (`where H in …`) is not one the network
    /// was checked for, or differs from the same symbol's size elsewhere.
    InputSize {
        /// Which input.
        input: usize,
        /// Which of its dims, batch left out.
        dim: usize,
        /// The symbol's conditions: `H in 16..=512, H % 8 == 0`.
        symbol: String,
        /// The tensor's whole shape, batch included.
        found: Vec<usize>,
        /// The size the symbol took at an earlier place, if it differs.
        other: Option<usize>,
    },
    /// An input holds the wrong kind of numbers.
    InputType {
        /// Which input.
        input: usize,
        /// What it should hold.
        expected: &'static str,
        /// What the tensor holds.
        found: String,
    },
    /// The wrong number of inputs for [`Model::forward_raw`](super::Model::forward_raw).
    InputCount {
        /// How many the network takes.
        expected: usize,
        /// How many were given.
        found: usize,
    },
    /// The tensor library failed.
    Backend(String),
    /// A step of the network failed.
    Step {
        /// The module's path, or the functional op.
        step: String,
        /// What went wrong.
        source: Box<Error>,
    },
    /// A bug in netshape: the program and its tensors disagree.
    Internal(String),
}

/// How a checkpoint differs from the network's `STATE_DICT`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mismatch {
    /// Keys the network needs that the file lacks.
    pub missing: Vec<String>,
    /// Keys in the file that the network does not have.
    pub unexpected: Vec<String>,
    /// Keys whose shape differs: `(key, expected, found)`.
    pub shapes: Vec<(String, Vec<usize>, Vec<usize>)>,
    /// Keys whose element type cannot be converted: `(key, expected, found)`.
    pub dtypes: Vec<(String, &'static str, String)>,
}

impl Mismatch {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.shapes.is_empty() && self.dtypes.is_empty()
    }
}

impl Error {
    /// The error as part of the step `step`.
    pub(crate) fn within(self, step: &str) -> Error {
        match self {
            Error::Backend(_) | Error::Internal(_) => Error::Step { step: step.to_owned(), source: Box::new(self) },
            other => other,
        }
    }
}

fn shape(dims: &[usize]) -> String {
    let dims: Vec<String> = dims.iter().map(usize::to_string).collect();
    format!("[{}]", dims.join(", "))
}

fn keys(keys: &[String]) -> String {
    keys.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            parts.push(format!("missing keys: {}", keys(&self.missing)));
        }
        if !self.unexpected.is_empty() {
            parts.push(format!("unexpected keys: {}", keys(&self.unexpected)));
        }
        for (key, expected, found) in &self.shapes {
            parts.push(format!(
                "`{key}` has shape {} in the file, but the network's is {}",
                shape(found),
                shape(expected)
            ));
        }
        for (key, expected, found) in &self.dtypes {
            parts.push(format!("`{key}` holds {found} in the file, but the network needs {expected}"));
        }
        write!(f, "the checkpoint does not match the network: {}", parts.join("; "))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, message } => write!(f, "cannot read `{path}`: {message}"),
            Error::Format { path, message } => write!(f, "`{path}` is not a checkpoint netshape can read: {message}"),
            Error::StateDict(mismatch) => mismatch.fmt(f),
            Error::InputSize { input, dim, symbol, found, other } => {
                let name = symbol.split(' ').next().unwrap_or_default();
                let size = found.get(dim + 1).copied().unwrap_or(0);
                write!(f, "input {input} has {size} at dim {} (`{name}`) of its shape {}, ", dim + 1, shape(found))?;
                match other {
                    Some(other) => write!(f, "but `{name}` is {other} at another of its places"),
                    None => write!(f, "but the network takes {symbol}"),
                }
            }
            Error::InputShape { input, expected, found } => {
                let mut batched = vec![0];
                batched.extend_from_slice(expected);
                let wanted = shape(&batched).replacen('0', "N", 1);
                write!(
                    f,
                    "input {input} must have shape {wanted} (a batch of {}), but the tensor's shape is {}",
                    shape(expected),
                    shape(found)
                )
            }
            Error::InputType { input, expected, found } => {
                write!(f, "input {input} must hold {expected}, but the tensor holds {found}")
            }
            Error::InputCount { expected, found } => {
                write!(f, "the network takes {expected} inputs, but {found} were given")
            }
            Error::Backend(message) => write!(f, "the tensor library failed: {message}"),
            Error::Step { step, source } => write!(f, "in `{step}`: {source}"),
            Error::Internal(message) => write!(f, "internal error (a bug in netshape): {message}"),
        }
    }
}

impl std::error::Error for Error {}
