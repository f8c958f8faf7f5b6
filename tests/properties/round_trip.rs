//! 1. Round trip: a template prints to its source and parses back to itself.

use crate::*;

proptest! {
    #![proptest_config(config(512))]

    /// A template built from pieces (literal Unicode text, `{{` escapes, every token of the
    /// vocabulary in random case under `ignore_case`, `tName:NAME`, custom tokens under every
    /// `Unknown` policy, each with a chain of modifiers in random case, or junk after a `|` on
    /// tokens kept as literal text) in any syntax parses to exactly the tokens it was built
    /// from, prints back its source, and parses back from that to an equal template.
    #[test]
    fn templates_round_trip_through_display(
        (syntax, unknown, ignore_case, pieces) in template_case(),
    ) {
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let template = Template::parse_with(&rendered.source, &options)
            .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;

        let text = template.to_string();
        prop_assert_eq!(&text, &rendered.source, "Display is not the source");
        prop_assert_eq!(template.as_str(), &rendered.source);
        let again = Template::parse_with(&text, &options)
            .map_err(|e| TestCaseError::fail(format!("printed template fails: {e:#}")))?;
        prop_assert_eq!(&again, &template, "parse(to_string()) differs");

        let tokens: Vec<Token<'_>> = template.tokens().collect();
        let wants: Vec<Token<'_>> = rendered.wants.iter().map(Want::token).collect();
        prop_assert_eq!(&tokens, &wants, "tokens of {:?}", rendered.source);
        let backwards: Vec<Token<'_>> = template.tokens().rev().collect();
        prop_assert!(backwards.iter().eq(wants.iter().rev()), "tokens().rev()");

        let owned = template.clone().into_owned();
        prop_assert_eq!(&owned, &template, "into_owned");
        let parsed_owned = Template::parse_owned(rendered.source.clone(), &options)
            .map_err(|e| TestCaseError::fail(format!("parse_owned fails: {e:#}")))?;
        prop_assert_eq!(&parsed_owned, &template, "parse_owned");
        if options == ParseOptions::default() {
            let from_str: Template<'static> = rendered.source.parse()
                .map_err(|e| TestCaseError::fail(format!("FromStr fails: {e:#}")))?;
            prop_assert_eq!(&from_str, &template, "FromStr");
        }
    }
}
