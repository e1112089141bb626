//! The WCAG contrast table of the theme, recomputed while colours change.

use gatehouse_core::branding::{contrast_checks, ContrastCheck, Theme};
use leptos::prelude::*;

/// One row of the table as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ContrastRow {
    pub usage: String,
    pub pair: String,
    /// The ratio to two decimals, such as `4.48:1`.
    pub ratio: String,
    pub required: String,
    pub passes: bool,
}

/// Formats a ratio to two decimals, rounding down. WCAG does not round, so
/// 4.499 must read 4.49 and fail, never 4.50.
pub fn format_ratio(ratio: f64) -> String {
    format!("{:.2}:1", (ratio * 100.0).floor() / 100.0)
}

fn row_of(check: &ContrastCheck) -> ContrastRow {
    ContrastRow {
        usage: check.usage.clone(),
        pair: format!("{} on {}", check.foreground.label(), check.background.label()),
        ratio: format_ratio(check.ratio),
        required: format!("{}:1", check.required),
        passes: check.passes,
    }
}

/// Returns the rows for a theme; pairs with an invalid colour are left out.
pub fn contrast_rows(theme: &Theme) -> Vec<ContrastRow> {
    contrast_checks(theme).iter().map(row_of).collect()
}

/// The table of every text/background pair with its ratio and whether it
/// passes WCAG 2.2 level AA. The result is written out ("Passes AA",
/// "Fails AA"), so it does not rest on colour alone.
#[component]
pub fn ContrastTable(
    /// The theme being edited.
    #[prop(into)]
    theme: Signal<Theme>,
) -> impl IntoView {
    let rows = move || {
        theme
            .with(contrast_rows)
            .into_iter()
            .map(|row| {
                let (class, result) = if row.passes {
                    ("contrast__result contrast__result--pass", "Passes AA")
                } else {
                    ("contrast__result contrast__result--fail", "Fails AA")
                };
                view! {
                    <tr>
                        <td>{row.usage}</td>
                        <td>{row.pair}</td>
                        <td class="contrast__ratio">{row.ratio}</td>
                        <td>{row.required}</td>
                        <td class=class>{result}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-scroll">
            <table class="table contrast-table" id="contrast-table">
                <caption class="contrast-table__caption">
                    "Contrast of each pair the sign-in screens draw (WCAG 2.2, level AA)"
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Used for"</th>
                        <th scope="col">"Colours"</th>
                        <th scope="col">"Ratio"</th>
                        <th scope="col">"AA needs"</th>
                        <th scope="col">"Result"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
