//! The figures of a run: a table for people, one JSON object for scripts.

use std::fmt::Write as _;

pub struct Line {
    name: String,
    value: f64,
    unit: &'static str,
    /// A ceiling from the same run, or a target, to divide the figure by.
    beside: Option<(String, f64)>,
    /// What the figure should be, and whether it is.
    target: Option<(String, bool)>,
}

impl Line {
    pub fn beside(&mut self, label: impl Into<String>, value: f64) -> &mut Line {
        self.beside = Some((label.into(), value));
        self
    }

    pub fn target(&mut self, text: impl Into<String>, met: bool) -> &mut Line {
        self.target = Some((text.into(), met));
        self
    }

    pub fn ratio(&self) -> Option<f64> {
        self.beside
            .as_ref()
            .filter(|(_, by)| *by != 0.0)
            .map(|(_, by)| self.value / by)
    }
}

#[derive(Default)]
pub struct Report {
    lines: Vec<Line>,
}

impl Report {
    pub fn add(&mut self, name: impl Into<String>, value: f64, unit: &'static str) -> &mut Line {
        self.lines.push(Line {
            name: name.into(),
            value,
            unit,
            beside: None,
            target: None,
        });
        self.lines.last_mut().expect("just pushed")
    }

    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<32} {:>20}   {:<36} {:>7}   {}\n",
            "figure", "value", "beside (ceiling or target)", "ratio", "target"
        );
        for line in &self.lines {
            let beside = line.beside.as_ref().map_or(String::new(), |(label, by)| {
                format!("{label} {}", number(*by, line.unit))
            });
            let ratio = line.ratio().map_or(String::new(), |r| format!("{r:.2}"));
            let target = line.target.as_ref().map_or(String::new(), |(text, met)| {
                format!("{text}: {}", if *met { "met" } else { "NOT MET" })
            });
            writeln!(
                out,
                "{:<32} {:>20}   {:<36} {:>7}   {target}",
                line.name,
                number(line.value, line.unit),
                beside,
                ratio
            )
            .expect("writing to a String");
        }
        out
    }

    /// Every figure by name, with the run's parameters in `run`.
    pub fn json(&self, run: serde_json::Value) -> serde_json::Value {
        let mut object = serde_json::Map::new();
        object.insert("run".into(), run);
        for line in &self.lines {
            object.insert(line.name.clone(), json_number(line.value));
        }
        serde_json::Value::Object(object)
    }
}

fn number(value: f64, unit: &str) -> String {
    let digits = if unit.ends_with("/s") || unit.is_empty() {
        0
    } else {
        2
    };
    format!("{value:.digits$} {unit}").trim_end().to_owned()
}

/// Whole numbers as integers, the rest to three decimals.
fn json_number(value: f64) -> serde_json::Value {
    if value.fract() == 0.0 && value.abs() < 9e15 {
        serde_json::json!(value as i64)
    } else {
        serde_json::json!((value * 1000.0).round() / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_shown_beside_its_ceiling_with_the_ratio() {
        let mut report = Report::default();
        report.add("ceiling_insert", 200_000.0, "rows/s");
        report
            .add("import", 120_000.0, "rows/s")
            .beside("ceiling_insert", 200_000.0)
            .target("ratio ≥ 0.50", true);
        report.add("errors", 0.0, "");
        let table = report.table();
        let import = table.lines().nth(2).unwrap();
        assert!(import.contains("120000 rows/s"), "{import}");
        assert!(import.contains("ceiling_insert 200000 rows/s"), "{import}");
        assert!(import.contains("0.60"), "{import}");
        assert!(import.ends_with("ratio ≥ 0.50: met"), "{import}");
        let json = report.json(serde_json::json!({"engine": "sqlite"}));
        assert_eq!(json["import"], 120_000);
        assert_eq!(json["errors"], 0);
        assert_eq!(json["run"]["engine"], "sqlite");
    }
}
