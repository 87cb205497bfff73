//! The file layout: tensors in PyTorch's `nn.Linear` layout plus string metadata, in
//! safetensors.
//!
//! Parameters are stored per layer as `layers.{i}.weight` (`[out, in]`, row-major) and
//! `layers.{i}.bias` (`[out]`); optimizer state as `optimizer.layers.{i}.{weight|bias}.{name}`
//! with PyTorch's state names. Inside the process weights are column-major, so they are
//! transposed on the way in and out.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use mlp_spec::ParamSegment;
use safetensors::{Dtype, SafeTensors, tensor::TensorView};

use super::CheckpointError;
use crate::float::Float;

/// The value of the `format` metadata entry.
pub(crate) const FORMAT: &str = "mlp-checkpoint/1";

pub(crate) fn dtype<T: Float>() -> Dtype {
    if T::NAME == "f64" {
        Dtype::F64
    } else {
        Dtype::F32
    }
}

/// The name of a parameter tensor.
pub(crate) fn param_name(segment: &ParamSegment) -> String {
    format!("layers.{}.{}", segment.layer, segment.role.name())
}

/// A segment of a flat buffer as row-major little-endian bytes.
pub(crate) fn segment_bytes<T: Float>(buffer: &[T], segment: &ParamSegment) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(segment.len() * std::mem::size_of::<T>());
    for r in 0..segment.rows {
        for c in 0..segment.cols {
            buffer[segment.offset + c * segment.rows + r].extend_le_bytes(&mut bytes);
        }
    }
    bytes
}

/// Tensors to write: a name, a shape, and bytes.
pub(crate) struct Tensors {
    entries: Vec<(String, Vec<usize>, Vec<u8>)>,
    dtype: Dtype,
}

impl Tensors {
    pub(crate) fn new<T: Float>() -> Self {
        Tensors {
            entries: Vec::new(),
            dtype: dtype::<T>(),
        }
    }

    /// Adds every segment of `buffer` under `prefix`.
    pub(crate) fn add<T: Float>(
        &mut self,
        prefix: &str,
        suffix: &str,
        buffer: &[T],
        layout: &[ParamSegment],
    ) {
        for segment in layout {
            let name = format!("{prefix}{}{suffix}", param_name(segment));
            self.entries
                .push((name, segment.torch_shape(), segment_bytes(buffer, segment)));
        }
    }

    /// The safetensors file: the same bytes for the same tensors and metadata.
    pub(crate) fn encode(
        &self,
        metadata: HashMap<String, String>,
    ) -> Result<Vec<u8>, CheckpointError> {
        let views = self
            .entries
            .iter()
            .map(|(name, shape, bytes)| {
                TensorView::new(self.dtype, shape.clone(), bytes)
                    .map(|view| (name.as_str(), view))
                    .map_err(|e| CheckpointError::Encode(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let file = safetensors::serialize(views, Some(metadata))
            .map_err(|e| CheckpointError::Encode(e.to_string()))?;
        in_order(file).map_err(|e| CheckpointError::Encode(e.to_string()))
    }
}

/// `file` with its header's entries, and the metadata's, in the order of their names.
/// safetensors writes the metadata in its `HashMap`'s order, which changes from one map to
/// the next: the same network saved twice had other bytes, so a hash of the file (a
/// cache's, a data-versioning tool's) told two equal checkpoints apart. The tensors' data
/// keep their place, and their offsets count from the end of the header.
fn in_order(file: Vec<u8>) -> Result<Vec<u8>, serde_json::Error> {
    const LEN: usize = std::mem::size_of::<u64>();
    // `serialize` wrote the header's length and the header: both are there.
    let header_len = u64::from_le_bytes(file[..LEN].try_into().expect("eight bytes")) as usize;
    let (header, data) = file[LEN..].split_at(header_len);
    let mut entries: BTreeMap<String, serde_json::Value> = serde_json::from_slice(header)?;
    if let Some(metadata) = entries.get_mut("__metadata__") {
        let sorted: BTreeMap<String, String> = serde_json::from_value(metadata.take())?;
        *metadata = serde_json::to_value(sorted)?;
    }
    let mut header = serde_json::to_vec(&entries)?;
    // safetensors pads the header with spaces to a multiple of eight bytes, so that the data
    // start aligned.
    header.resize(header.len().next_multiple_of(LEN), b' ');
    let mut ordered = Vec::with_capacity(LEN + header.len() + data.len());
    ordered.extend_from_slice(&(header.len() as u64).to_le_bytes());
    ordered.extend_from_slice(&header);
    ordered.extend_from_slice(data);
    Ok(ordered)
}

/// A checkpoint file read into memory, its header validated.
pub(crate) struct File {
    pub(crate) path: std::path::PathBuf,
    bytes: Vec<u8>,
    pub(crate) metadata: HashMap<String, String>,
}

impl File {
    /// Reads `path` and checks that it is a safetensors file of this format.
    pub(crate) fn open(path: &Path) -> Result<Self, CheckpointError> {
        let path = path.to_path_buf();
        let bytes = std::fs::read(&path).map_err(|source| CheckpointError::Io {
            path: path.clone(),
            source,
        })?;
        // The reader validates the header's length and every tensor's offsets against the
        // file's real size, so a header claiming huge tensors is rejected before anything is
        // allocated for them.
        let (_, header) =
            SafeTensors::read_metadata(&bytes).map_err(|e| CheckpointError::Corrupt {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        let metadata = header.metadata().clone().unwrap_or_default();
        Ok(File {
            path,
            bytes,
            metadata,
        })
    }

    /// Checks the `format` entry.
    pub(crate) fn check_format(&self) -> Result<(), CheckpointError> {
        match self.metadata.get("format").map(String::as_str) {
            Some(FORMAT) => Ok(()),
            Some(found) if found.starts_with("mlp-checkpoint/") => {
                Err(CheckpointError::NewerFormat {
                    path: self.path.clone(),
                    found: found.to_owned(),
                })
            }
            _ => Err(CheckpointError::NotACheckpoint {
                path: self.path.clone(),
            }),
        }
    }

    /// A required metadata entry.
    pub(crate) fn entry(&self, key: &'static str) -> Result<&str, CheckpointError> {
        self.metadata
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| self.bad(key, "missing".to_owned()))
    }

    /// A metadata error for `key`.
    pub(crate) fn bad(&self, key: &'static str, problem: String) -> CheckpointError {
        CheckpointError::Metadata {
            path: self.path.clone(),
            key,
            problem,
        }
    }

    /// The spec the checkpoint was saved from.
    pub(crate) fn spec(&self) -> Result<mlp_spec::Spec, CheckpointError> {
        let text = self.entry("spec")?;
        mlp_spec::parse(text).map_err(|e| self.bad("spec", format!("not a valid spec: {e}")))
    }

    pub(crate) fn tensors(&self) -> Result<SafeTensors<'_>, CheckpointError> {
        SafeTensors::deserialize(&self.bytes).map_err(|e| CheckpointError::Corrupt {
            path: self.path.clone(),
            reason: e.to_string(),
        })
    }

    /// Fails on any tensor whose name is not in `expected` and does not start with one of
    /// the `ignored` prefixes.
    pub(crate) fn check_no_extra(
        &self,
        tensors: &SafeTensors<'_>,
        expected: &BTreeSet<String>,
        ignored: &[&str],
    ) -> Result<(), CheckpointError> {
        let mut names = tensors.names();
        names.sort_unstable();
        match names
            .into_iter()
            .find(|name| !expected.contains(*name) && !ignored.iter().any(|p| name.starts_with(p)))
        {
            Some(name) => Err(CheckpointError::ExtraTensor {
                path: self.path.clone(),
                name: name.to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Reads tensor `name` of the given shape into the segment's place in `buffer`, from
    /// `F32` or `F64` data (converted to `T`) when `convert`, from `T`'s own type otherwise.
    pub(crate) fn read_segment<T: Float>(
        &self,
        tensors: &SafeTensors<'_>,
        name: &str,
        segment: &ParamSegment,
        buffer: &mut [T],
        convert: bool,
    ) -> Result<(), CheckpointError> {
        let view = tensors
            .tensor(name)
            .map_err(|_| CheckpointError::MissingTensor {
                path: self.path.clone(),
                name: name.to_owned(),
            })?;
        let expected = segment.torch_shape();
        if view.shape() != expected.as_slice() {
            return Err(CheckpointError::Shape {
                path: self.path.clone(),
                name: name.to_owned(),
                expected,
                found: view.shape().to_vec(),
            });
        }
        let accepted = view.dtype() == dtype::<T>()
            || (convert && matches!(view.dtype(), Dtype::F32 | Dtype::F64));
        if !accepted {
            return Err(CheckpointError::Dtype {
                path: self.path.clone(),
                name: name.to_owned(),
                expected: T::NAME,
                found: format!("{:?}", view.dtype()),
            });
        }
        let width = view.dtype().bitsize() / 8;
        if view.data().len() != segment.len() * width {
            return Err(CheckpointError::Corrupt {
                path: self.path.clone(),
                reason: format!(
                    "tensor `{name}` holds {} bytes for shape {:?}",
                    view.data().len(),
                    view.shape()
                ),
            });
        }
        for (index, bytes) in view.data().chunks_exact(width).enumerate() {
            let (r, c) = (index / segment.cols, index % segment.cols);
            let stored = match view.dtype() {
                Dtype::F64 => f64::from_le_slice(bytes),
                _ => f64::from(f32::from_le_slice(bytes)),
            };
            let value = T::cast(stored);
            if !value.is_finite() {
                return Err(CheckpointError::NotFinite {
                    path: self.path.clone(),
                    name: name.to_owned(),
                    index: [r, c][..view.shape().len()].to_vec(),
                    value: stored,
                    range: if stored.is_finite() {
                        ", beyond f32's range"
                    } else {
                        ""
                    },
                });
            }
            buffer[segment.offset + c * segment.rows + r] = value;
        }
        Ok(())
    }
}
