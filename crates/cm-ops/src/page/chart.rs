//! The charts of the pages: horizontal bars drawn with plotters' SVG backend, text left to the
//! browser (so Persian is shaped and set right to left as the page's own text).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use cm_base::language::Language;

/// The height of one bar's row, in pixels.
const ROW: u32 = 28;
/// The width of a chart.
const WIDTH: u32 = 560;
/// The room for the names of the bars.
const NAMES: u32 = 190;

/// A bar chart of `counts` (a name and a count each), as an SVG element. The bars run from
/// the names' side: right to left in Persian.
pub fn bars(counts: &[(String, i64)], language: Language) -> String {
    let height = ROW * counts.len().max(1) as u32 + 30;
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let rtl = language.rtl();
        let (names, plot) = if rtl {
            let (plot, names) = root.split_horizontally(WIDTH - NAMES);
            (names, plot)
        } else {
            root.split_horizontally(NAMES)
        };
        let style = ("sans-serif", 14).into_font().color(&BLACK);
        let anchor = if rtl {
            (HPos::Right, VPos::Center)
        } else {
            (HPos::Left, VPos::Center)
        };
        let plot_width = (WIDTH - NAMES) as i32 - 60;
        for (i, (name, count)) in counts.iter().enumerate() {
            let y = (ROW * i as u32 + ROW / 2) as i32 + 10;
            let x = if rtl { NAMES as i32 - 8 } else { 8 };
            let _ = names.draw(&Text::new(
                name.clone(),
                (x, y),
                style.clone().pos(Pos::new(anchor.0, anchor.1)),
            ));
            let length = (*count as f64 / most as f64 * plot_width as f64).round() as i32;
            let (from, to) = if rtl {
                (plot_width + 50 - length, plot_width + 50)
            } else {
                (10, 10 + length)
            };
            let top = y - ROW as i32 / 2 + 4;
            let _ = plot.draw(&Rectangle::new(
                [(from, top), (to.max(from + 1), top + ROW as i32 - 8)],
                RGBColor(46, 109, 164).filled(),
            ));
            let label_x = if rtl { from - 6 } else { to + 6 };
            let label_anchor = if rtl { HPos::Right } else { HPos::Left };
            let _ = plot.draw(&Text::new(
                language.digits(&count.to_string()),
                (label_x, y),
                style.clone().pos(Pos::new(label_anchor, VPos::Center)),
            ));
        }
        let _ = root.present();
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_per_count_with_its_number() {
        let svg = bars(&[("Low".into(), 3), ("High".into(), 12)], Language::En);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(svg.contains(">\n12\n<") || svg.contains(">12<"), "{svg}");
        let persian = bars(&[("کم".into(), 3)], Language::Fa);
        assert!(persian.contains("۳"), "{persian}");
    }
}
