//! The metric against each searched hyper-parameter: one panel per key, a point per trial
//! at its mean score with a bar over mean +/- the spread over folds, the best in red.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::SearchResults;
use crate::train::PlotError;
use crate::train::plot::{SIZE, write_png, write_svg};

impl SearchResults {
    /// Draws the metric against each searched key as an SVG image.
    ///
    /// # Errors
    ///
    /// [`PlotError`] if no trial succeeded or the file cannot be written.
    pub fn write_svg(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        write_svg(path.as_ref(), self.size(), |root| self.draw(root))
    }

    /// Draws the metric against each searched key as a PNG image.
    ///
    /// # Errors
    ///
    /// As [`SearchResults::write_svg`].
    pub fn write_png(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        write_png(path.as_ref(), self.size(), |root| self.draw(root))
    }

    /// Panels in rows of up to two, each the size of a learning-curve chart's half.
    fn size(&self) -> (u32, u32) {
        let rows = self.keys.len().div_ceil(2).max(1) as u32;
        (SIZE.0, SIZE.1 / 2 * rows + SIZE.1 / 4)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let scored: Vec<_> = self.trials.iter().filter(|t| t.error.is_none()).collect();
        if scored.is_empty() {
            return Err("no trial succeeded".to_owned());
        }
        root.fill(&WHITE).map_err(text)?;
        let title = format!(
            "{} against each hyper-parameter (bars: +/- spread over folds)",
            self.metric.name()
        );
        let root = root.titled(&title, ("sans-serif", 22)).map_err(text)?;
        let rows = self.keys.len().div_ceil(2);
        let columns = if self.keys.len() == 1 { 1 } else { 2 };
        let panels = root.split_evenly((rows, columns));
        let low = scored
            .iter()
            .map(|t| t.mean - t.std)
            .fold(f64::INFINITY, f64::min);
        let high = scored
            .iter()
            .map(|t| t.mean + t.std)
            .fold(f64::NEG_INFINITY, f64::max);
        let pad = ((high - low) * 0.05).max(1e-9);
        let y = (low - pad)..(high + pad);
        let best = self.best().map(|t| t.values.clone());
        for (axis, panel) in panels.iter().enumerate().take(self.keys.len()) {
            let points: Vec<(f64, f64, f64, bool)> = scored
                .iter()
                .map(|t| {
                    let is_best = best.as_ref() == Some(&t.values);
                    (t.values[axis], t.mean, t.std, is_best)
                })
                .collect();
            let lo = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
            let hi = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
            let key = &self.keys[axis];
            // Values a decade or more apart go on a log axis (drawn as log10 of the value).
            let log = lo > 0.0 && hi / lo >= 10.0;
            let place = |v: f64| if log { v.log10() } else { v };
            let (lo, hi) = (place(lo), place(hi));
            let margin = ((hi - lo) * 0.1).max(1e-3);
            let placed: Vec<_> = points
                .iter()
                .map(|&(v, m, s, b)| (place(v), m, s, b))
                .collect();
            let x = (lo - margin)..(hi + margin);
            panel_chart(panel, key, x, y.clone(), &placed, log).map_err(text)?;
        }
        Ok(())
    }
}

/// One panel: the trials' means with their spread, against one key.
fn panel_chart<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    key: &str,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    points: &[(f64, f64, f64, bool)],
    log: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(panel)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(x, y)?;
    let format = |v: &f64| {
        if log {
            format!("{:.0e}", 10f64.powf(*v))
        } else {
            format!("{v}")
        }
    };
    chart
        .configure_mesh()
        .x_desc(key)
        .x_label_formatter(&format)
        .y_label_formatter(&|v| format!("{v:.3}"))
        .draw()?;
    chart.draw_series(points.iter().map(|&(x, mean, std, best)| {
        let color = if best { RED } else { BLUE };
        ErrorBar::new_vertical(x, mean - std, mean, mean + std, color.filled(), 8)
    }))?;
    Ok(())
}
