//! Learning curves: training and validation loss against the left axis, training and
//! validation accuracy (or R^2) against the right one, per epoch. With diagnostics, each
//! layer's gradient norm per epoch on a log axis.

use std::io;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::history::History;
use crate::atomic_file::replace_file;

/// A chart (learning curves, gradient norms, a search's scores) could not be drawn or
/// written; no file was left at its path, and an earlier one there is as it was.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart {path}: {reason}")]
pub struct PlotError {
    path: String,
    reason: String,
}

static FONT: Once = Once::new();

/// Width and height of every chart, in pixels.
pub(crate) const SIZE: (u32, u32) = (900, 540);

/// Registers the font text is measured and drawn with (DejaVu Sans, shipped with the crate,
/// so no system font is needed).
fn register_font() {
    FONT.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../../assets/DejaVuSans.ttf");
        // The font is valid; a failure would only leave text out of PNG images.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, bytes);
    });
}

/// The charts a history draws.
#[derive(Clone, Copy)]
enum Chart {
    /// Losses and the headline metric per epoch.
    Curves,
    /// Each layer's gradient norm per epoch, on a log axis.
    Gradients,
}

impl History {
    /// Draws the learning curves as an SVG image.
    ///
    /// # Errors
    ///
    /// [`PlotError`] if there are no epochs or the file cannot be written.
    pub fn write_svg(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        self.write_svg_chart(path.as_ref(), Chart::Curves)
    }

    /// Draws the learning curves as a PNG image.
    ///
    /// # Errors
    ///
    /// [`PlotError`] if there are no epochs or the file cannot be written.
    pub fn write_png(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        self.write_png_chart(path.as_ref(), Chart::Curves)
    }

    /// Draws each layer's mean gradient norm per epoch, on a log axis, as an SVG image: the
    /// picture of vanishing (falling towards the input) or exploding gradients.
    ///
    /// # Errors
    ///
    /// [`PlotError`] if the history has no diagnostics (train with
    /// [`TrainConfig::diagnostics`](super::TrainConfig::diagnostics)) or the file cannot be
    /// written.
    pub fn write_gradients_svg(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        self.write_svg_chart(path.as_ref(), Chart::Gradients)
    }

    /// [`History::write_gradients_svg`] as a PNG image.
    ///
    /// # Errors
    ///
    /// As [`History::write_gradients_svg`].
    pub fn write_gradients_png(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        self.write_png_chart(path.as_ref(), Chart::Gradients)
    }

    fn write_svg_chart(&self, path: &Path, chart: Chart) -> Result<(), PlotError> {
        write_svg(path, SIZE, |root| self.draw_chart(root, chart))
    }

    fn write_png_chart(&self, path: &Path, chart: Chart) -> Result<(), PlotError> {
        write_png(path, SIZE, |root| self.draw_chart(root, chart))
    }

    fn draw_chart<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: Chart,
    ) -> Result<(), String> {
        match chart {
            Chart::Curves => self.draw(root),
            Chart::Gradients => self.draw_gradients(root),
        }
    }

    fn draw_gradients<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let layers = self.diagnosed_layers();
        if layers == 0 {
            return Err("the history has no diagnostics: train with `diagnostics` on".to_owned());
        }
        let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        // A log axis has no room for zero: a norm of exactly 0 is left out of its line.
        let norms: Vec<f64> = self
            .epochs
            .iter()
            .flat_map(|r| r.layers.iter().map(|d| d.grad_norm))
            .filter(|&n| n > 0.0 && n.is_finite())
            .collect();
        let low = norms.iter().copied().fold(f64::INFINITY, f64::min);
        let high = norms.iter().copied().fold(0.0f64, f64::max);
        let (low, high) = if norms.is_empty() {
            (1e-3, 1.0)
        } else {
            (low / 2.0, high * 2.0)
        };
        root.fill(&WHITE).map_err(text)?;
        let epochs = self.epochs.len() as f64;
        let mut chart = ChartBuilder::on(root)
            .caption("gradient norm per layer", ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(1.0..epochs.max(2.0), (low..high).log_scale())
            .map_err(text)?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .x_label_formatter(&|epoch| format!("{epoch:.0}"))
            .y_desc("mean L2 norm of the weight gradient")
            .y_label_formatter(&|v| format!("{v:.0e}"))
            .draw()
            .map_err(text)?;
        for layer in 0..layers {
            let values: Vec<(f64, f64)> = self
                .epochs
                .iter()
                .filter_map(|r| {
                    let norm = r.layers.get(layer)?.grad_norm;
                    (norm > 0.0 && norm.is_finite()).then_some((r.epoch as f64, norm))
                })
                .collect();
            let color = Palette99::pick(layer).to_rgba();
            let style = ShapeStyle::from(&color).stroke_width(2);
            chart
                .draw_series(LineSeries::new(values, style))
                .map_err(text)?
                .label(format!("layer {layer}"))
                .legend(legend_line(color));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(text)?;
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        if self.epochs.is_empty() {
            return Err("the history has no epochs".to_owned());
        }
        let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(text)?;
        let epochs = self.epochs.len() as f64;
        let losses = self
            .epochs
            .iter()
            .flat_map(|r| [Some(r.loss), r.val_loss])
            .flatten();
        let max_loss = losses.fold(0.0f64, f64::max).max(1e-9) * 1.05;
        let metrics: Vec<f64> = self
            .epochs
            .iter()
            .flat_map(|r| [r.metric, r.val_metric])
            .flatten()
            .collect();
        let metric_low = metrics.iter().copied().fold(0.0f64, f64::min);
        let metric_name = if self.metric_name == "r2" {
            "R^2"
        } else {
            "accuracy"
        };
        let mut chart = ChartBuilder::on(root)
            .caption("learning curves", ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .right_y_label_area_size(60)
            .build_cartesian_2d(1.0..epochs.max(2.0), 0.0..max_loss)
            .map_err(text)?
            .set_secondary_coord(1.0..epochs.max(2.0), metric_low..1.0);
        chart
            .configure_mesh()
            .x_desc("epoch")
            .x_label_formatter(&|epoch| format!("{epoch:.0}"))
            .y_desc("loss")
            .y_label_formatter(&axis_label)
            .draw()
            .map_err(text)?;
        chart
            .configure_secondary_axes()
            .y_desc(metric_name)
            .y_label_formatter(&axis_label)
            .draw()
            .map_err(text)?;

        let series = |values: Vec<(f64, f64)>| values;
        let points = |pick: &dyn Fn(&super::EpochRecord) -> Option<f64>| {
            series(
                self.epochs
                    .iter()
                    .filter_map(|r| pick(r).map(|v| (r.epoch as f64, v)))
                    .collect(),
            )
        };
        let curve = |label, values, color, secondary| Curve {
            label,
            values,
            color,
            secondary,
        };
        let (training_metric, validation_metric) = if self.metric_name == "r2" {
            ("training R^2", "validation R^2")
        } else {
            ("training accuracy", "validation accuracy")
        };
        let lines = [
            curve("training loss", points(&|r| Some(r.loss)), BLUE, false),
            curve("validation loss", points(&|r| r.val_loss), CYAN, false),
            curve(training_metric, points(&|r| r.metric), RED, true),
            curve(validation_metric, points(&|r| r.val_metric), MAGENTA, true),
        ];
        for Curve {
            label,
            values,
            color,
            secondary,
        } in lines
        {
            if values.is_empty() {
                continue;
            }
            let label = label.replace("accuracy", metric_name);
            let style = ShapeStyle::from(&color).stroke_width(2);
            let drawn = if secondary {
                chart
                    .draw_secondary_series(LineSeries::new(values, style))
                    .map_err(text)?
            } else {
                chart
                    .draw_series(LineSeries::new(values, style))
                    .map_err(text)?
            };
            drawn.label(label).legend(legend_line(color));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::MiddleRight)
            .draw()
            .map_err(text)?;
        Ok(())
    }
}

/// A value axis' label: up to three decimals, or in scientific notation beyond 1e5 or below
/// 1e-3, so that the losses of a run that diverged (1e35) fit the label area.
fn axis_label(value: &f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-3..1e5).contains(&magnitude) {
        return format!("{value:.1e}");
    }
    let fixed = format!("{value:.3}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    match trimmed {
        "-0" => "0".to_owned(),
        other => other.to_owned(),
    }
}

/// One line of the chart.
struct Curve {
    label: &'static str,
    values: Vec<(f64, f64)>,
    color: RGBColor,
    /// Drawn against the right (metric) axis.
    secondary: bool,
}

/// A legend entry: a short line in the series' colour.
fn legend_line<C: Color + 'static>(color: C) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| {
        PathElement::new(
            vec![(x, y), (x + 20, y)],
            ShapeStyle::from(&color).stroke_width(2),
        )
    }
}

/// Draws a chart of `size` pixels with `draw` as an SVG image at `path` ([`write_chart`]).
pub(crate) fn write_svg(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<(), PlotError> {
    write_chart(path, |temp| {
        present(SVGBackend::new(temp, size).into_drawing_area(), draw)
    })
}

/// [`write_svg`] as a PNG image.
pub(crate) fn write_png(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<(), PlotError> {
    write_chart(path, |temp| {
        present(BitMapBackend::new(temp, size).into_drawing_area(), draw)
    })
}

/// Draws a chart with `render`, given the path to write: a temporary file renamed over
/// `path` once the image is complete, so a chart that cannot be drawn leaves no file behind
/// and an earlier one as it was (a backend writes its file even when the drawing fails).
fn write_chart(
    path: &Path,
    render: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), PlotError> {
    register_font();
    replace_file(path, |temp| render(temp).map_err(io::Error::other))
        .map_err(|e| error(path, e.to_string()))
}

/// Draws on `root` with `draw`, then writes the image out.
fn present<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    draw: impl FnOnce(&DrawingArea<DB, Shift>) -> Result<(), String>,
) -> Result<(), String> {
    draw(&root)?;
    root.present().map_err(|e| e.to_string())
}

fn error(path: &Path, reason: String) -> PlotError {
    PlotError {
        path: path.display().to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::super::history::{EpochRecord, StopReason};
    use super::*;

    fn history(epochs: usize) -> History {
        let record = |epoch| EpochRecord {
            epoch,
            loss: 1.0 / epoch as f64,
            metric: Some(0.5),
            val_loss: None,
            val_metric: None,
            lr: 0.1,
            seconds: 0.01,
            scores: Vec::new(),
            val_scores: Vec::new(),
            layers: Vec::new(),
        };
        History {
            epochs: (1..=epochs).map(record).collect(),
            stop: StopReason::Completed,
            restored_epoch: None,
            metric_name: "accuracy",
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn axis_labels_fit_any_magnitude() {
        let labels: Vec<String> = [0.0, 0.25, 1.0, -0.5, 12.5, 99_999.0, 1.5e35, -7.25e36, 2e-4]
            .iter()
            .map(axis_label)
            .collect();
        assert_eq!(
            labels,
            [
                "0", "0.25", "1", "-0.5", "12.5", "99999", "1.5e35", "-7.2e36", "2.0e-4"
            ]
        );
    }

    #[test]
    fn a_chart_that_cannot_be_drawn_leaves_no_file_and_the_earlier_one_as_it_was() {
        let dir = tempfile::Builder::new()
            .prefix("mlp-plot-")
            .tempdir()
            .unwrap();
        let (svg, png) = (dir.path().join("a.svg"), dir.path().join("a.png"));
        let empty = history(0);
        let error = empty.write_svg(&svg).unwrap_err().to_string();
        assert_eq!(
            error,
            format!(
                "cannot draw the chart {}: the history has no epochs",
                svg.display()
            )
        );
        assert!(empty.write_png(&png).is_err());
        let error = history(3)
            .write_gradients_svg(&svg)
            .unwrap_err()
            .to_string();
        assert!(error.contains("the history has no diagnostics"), "{error}");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));

        history(3).write_svg(&svg).unwrap();
        history(3).write_png(&png).unwrap();
        let (drawn_svg, drawn_png) = (std::fs::read(&svg).unwrap(), std::fs::read(&png).unwrap());
        assert!(String::from_utf8_lossy(&drawn_svg).contains("<polyline"));
        assert!(drawn_png.starts_with(b"\x89PNG"), "a PNG image");
        assert!(empty.write_svg(&svg).is_err());
        assert!(empty.write_png(&png).is_err());
        assert!(history(3).write_gradients_png(&png).is_err());
        assert_eq!(std::fs::read(&svg).unwrap(), drawn_svg);
        assert_eq!(std::fs::read(&png).unwrap(), drawn_png);
        assert_eq!(names(dir.path()), ["a.png", "a.svg"]);
    }
}
