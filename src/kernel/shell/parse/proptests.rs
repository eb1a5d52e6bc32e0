//! The shell parser against generated scripts: valid ones parse, every
//! prefix of one either parses or asks for more (an interactive shell
//! reads the next line), hostile text never panics the parser, and
//! whatever the bounds let through parses on a process thread's stack.
use proptest::prelude::*;

use super::*;

fn word() -> impl Strategy<Value = String> {
  prop::sample::select(vec![
    "echo", "true", "x", "'a b'", "\"q $v\"", "$v", "${v}", "${v:-d}", "$(true)", "`true`",
    "$((1+2))", "a\\ b", "*", "~", "--", "'('", "\"fi\"",
  ])
  .prop_map(String::from)
}

fn simple() -> impl Strategy<Value = String> {
  (
    prop::option::weighted(0.2, Just("v=1 ".to_string())),
    prop::sample::select(vec!["echo", "true", "cat", "ls"]),
    prop::collection::vec(word(), 0..3),
    prop::option::weighted(
      0.2,
      prop::sample::select(vec![" > f", " 2>&1", " < f", " >> f", " 2>/dev/null"]),
    ),
  )
    .prop_map(|(assign, cmd, args, redir)| {
      let mut s = assign.unwrap_or_default();
      s.push_str(cmd);
      for a in args {
        s.push(' ');
        s.push_str(&a);
      }
      s.push_str(redir.unwrap_or(""));
      s
    })
}

/// A list of commands, nested up to the strategy's depth.
fn list() -> impl Strategy<Value = String> {
  simple().prop_recursive(4, 24, 3, |inner| {
    let cmd = prop_oneof![
      3 => inner.clone(),
      // brush-parser 0.3 refuses `( case ... esac )`: a `;` before the `)`.
      1 => inner.clone().prop_map(|l| format!("( {l}; )")),
      1 => inner.clone().prop_map(|l| format!("{{ {l}; }}")),
      1 => (inner.clone(), inner.clone(), prop::option::of(inner.clone())).prop_map(|(c, t, e)| {
        match e {
          Some(e) => format!("if {c}; then {t}; else {e}; fi"),
          None => format!("if {c}; then {t}; fi"),
        }
      }),
      1 => (inner.clone(), inner.clone()).prop_map(|(c, b)| format!("while {c}; do {b}; done")),
      1 => inner.clone().prop_map(|b| format!("for i in a b; do {b}; done")),
      1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("case $v in (a|b) {a};; (*) {b};; esac")),
      1 => inner.clone().prop_map(|b| format!("f() {{ {b}; }}")),
      // `!` starts a pipeline only: braced, it may stand anywhere.
      1 => inner.clone().prop_map(|b| format!("{{ ! {b}; }}")),
      1 => inner.clone().prop_map(|b| format!("echo $({b})")),
    ];
    (
      cmd.clone(),
      prop::collection::vec(
        (prop::sample::select(vec![" | ", " && ", " || ", "; ", " & ", "\n"]), cmd),
        0..3,
      ),
    )
      .prop_map(|(first, rest)| {
        let mut s = first;
        for (op, c) in rest {
          s.push_str(op);
          s.push_str(&c);
        }
        s
      })
  })
}

/// A script: a list, maybe with a here-document, maybe a trailing newline.
fn script() -> impl Strategy<Value = String> {
  (list(), any::<bool>(), any::<bool>()).prop_map(|(l, heredoc, newline)| {
    let mut s = l;
    if heredoc {
      s.push_str("\ncat <<EOF\nline $v\nEOF\n");
    }
    if newline {
      s.push('\n');
    }
    s
  })
}

/// Text made of the pieces the tokenizer and grammar care about.
fn garbage() -> impl Strategy<Value = String> {
  let piece = prop::sample::select(vec![
    "(", ")", "{", "}", "[[", "]]", "((", "))", "$(", "${", "$((", "`", "'", "\"", "\\", "|", "||",
    "&", "&&", ";", ";;", "\n", " ", "<", ">", "<<", "<<-", ">&", "<(", "!", "#", "=", "$", "*",
    "if", "then", "else", "elif", "fi", "while", "until", "do", "done", "for", "in", "case",
    "esac", "function", "EOF", "x", "1", "é", "\0", "\t", "\r",
  ]);
  prop_oneof![
    3 => prop::collection::vec(piece, 0..40).prop_map(|p| p.concat()),
    1 => any::<String>(),
  ]
}

/// Openers of every kind nested `depth` deep.
fn deep() -> impl Strategy<Value = (String, usize)> {
  let kinds = prop::collection::vec(0u8..8, 1..600);
  kinds.prop_map(|kinds| {
    let (mut open, mut close) = (String::new(), Vec::new());
    for k in &kinds {
      let (o, c) = match k {
        0 => ("( ", "; )"),
        1 => ("{ ", "; }"),
        2 => ("if true; then ", "; fi"),
        3 => ("while false; do ", "; done"),
        4 => ("case x in (x) ", ";; esac"),
        5 => ("echo $(", ")"),
        6 => ("! ", ""),
        _ => ("for i in 1; do ", "; done"),
      };
      open.push_str(o);
      close.push(c);
    }
    close.reverse();
    (format!("{open}true{}", close.concat()), kinds.len())
  })
}

proptest! {
  #![proptest_config(crate::fuzz::config(300))]

  /// A script typed line by line, Enter pressed between any two tokens:
  /// each line so far parses or asks for the next. (Not after a
  /// redirection, `!`, `for` or `case`: shells refuse a newline there.)
  #[test]
  fn prefixes_of_a_script_parse_or_ask_for_more(src in script(), bash in any::<bool>()) {
    prop_assert!(parse_or_more(&src, bash).is_ok(), "{:?}: {:?}", src, parse_or_more(&src, bash).err());
    for (cut, c) in src.char_indices() {
      let head = &src[..cut];
      let last = head.trim_end();
      if !matches!(c, ' ' | '\n') || last.ends_with(['<', '>', '!']) || last.ends_with("for") || last.ends_with("case") {
        continue;
      }
      let lines = format!("{head}\n");
      if let Err((msg, more)) = parse_or_more(&lines, bash) {
        prop_assert!(more, "{:?} of {:?}: {}", lines, src, msg);
      }
    }
  }

  /// Once more input cannot help, no more input helps. (Not where
  /// brush-parser panicked, the bare "Syntax error": what it would have
  /// said is unknown, and refusing is the safe answer.)
  #[test]
  fn no_more_means_no_completion(head in garbage(), tail in script(), bash in any::<bool>()) {
    if let Err((msg, false)) = parse_or_more(&head, bash) {
      if msg != "Syntax error" {
        let whole = format!("{head}\n{tail}");
        prop_assert!(parse_or_more(&whole, bash).is_err(), "{:?} said no more ({}), but {:?} parses", head, msg, whole);
      }
    }
  }

  /// An answer, never an unwind: brush-parser 0.3 does panic on some
  /// input (`$($(<<\t(()`), and `parse_or_more` turns that into a
  /// syntax error.
  #[test]
  fn hostile_text_never_panics_the_parser(src in garbage(), bash in any::<bool>()) {
    if let Err((msg, _)) = parse_or_more(&src, bash) {
      prop_assert!(msg.starts_with("Syntax error") || msg.starts_with("script "), "{:?}", msg);
    }
  }

  /// Whatever the bounds let through parses on a process thread's stack
  /// (8 MiB; a stack overflow would abort this test binary), and nothing
  /// nested deeper than the parser's bound gets through.
  #[test]
  fn accepted_nesting_is_bounded((src, depth) in deep(), bash in any::<bool>()) {
    let s = src.clone();
    let r = std::thread::Builder::new()
      .stack_size(8 << 20)
      .spawn(move || parse_or_more(&s, bash).map(|_| ()))
      .unwrap()
      .join()
      .unwrap();
    match r {
      Ok(()) => prop_assert!(depth <= MAX_OPENERS, "{} deep accepted", depth),
      Err((msg, more)) => {
        prop_assert!(!more);
        prop_assert!(depth > MAX_NESTING, "{} deep refused: {}", depth, msg);
      }
    }
  }
}
