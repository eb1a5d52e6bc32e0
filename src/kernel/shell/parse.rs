//! The shell's parser: brush-parser's tokenizer and grammar over a script
//! bounded in size and nesting first, so that hostile input cannot make
//! the parser recurse deep or hold much memory. Its process-global token
//! cache (`tokenize_str`) is never used: runtimes share the sidecar.
use brush_parser::{ast, ParserOptions, SourceInfo};

/// Bytes of one script (`sh -c`, a script file, `eval`, `$(...)`).
pub const MAX_SCRIPT_BYTES: usize = 1024 * 1024;
/// Brackets, quotes and compound commands nested in one script.
pub const MAX_NESTING: usize = 64;

/// How deep `src` nests, counted on its characters and keywords without
/// parsing it (an over-estimate inside quotes, which is harmless).
fn nesting(src: &str) -> usize {
  let mut depth: usize = 0;
  let mut max = 0;
  let mut word = String::new();
  let end_word = |word: &mut String, depth: &mut usize| {
    match word.as_str() {
      "if" | "while" | "until" | "for" | "case" => *depth += 1,
      "fi" | "done" | "esac" => *depth = depth.saturating_sub(1),
      _ => {}
    }
    word.clear();
  };
  // `!`s in a row nest in the grammar too.
  let mut bangs: usize = 0;
  for c in src.chars() {
    match c {
      '!' => bangs += 1,
      '\n' | ';' | '&' | '|' => bangs = 0,
      _ => {}
    }
    max = max.max(depth + bangs);
    if c.is_ascii_alphanumeric() || c == '_' {
      if word.len() < 8 {
        word.push(c);
      }
      continue;
    }
    end_word(&mut word, &mut depth);
    match c {
      '(' | '{' => depth += 1,
      ')' | '}' => depth = depth.saturating_sub(1),
      _ => {}
    }
    max = max.max(depth);
  }
  end_word(&mut word, &mut depth);
  max.max(depth)
}

/// Openers in one script (`(`, `{`, a backquote, `if`/`while`/`until`/
/// `for`/`case`, `!`), wherever they are: the parser's real nesting is never
/// more than their number, whatever closers, quotes and comments around
/// them say (the depth estimate above can be fooled by those).
pub const MAX_OPENERS: usize = 512;

fn openers(src: &str) -> usize {
  let mut n = 0;
  let mut word = String::new();
  for c in src.chars() {
    if c.is_ascii_alphanumeric() || c == '_' {
      if word.len() < 8 {
        word.push(c);
      }
      continue;
    }
    if matches!(word.as_str(), "if" | "while" | "until" | "for" | "case") {
      n += 1;
    }
    word.clear();
    if matches!(c, '(' | '{' | '`' | '!') {
      n += 1;
    }
  }
  n + usize::from(matches!(
    word.as_str(),
    "if" | "while" | "until" | "for" | "case"
  ))
}

/// The program `src` is, or the shell's message for why not.
pub fn parse(src: &str, bash: bool) -> Result<ast::Program, String> {
  parse_or_more(src, bash).map_err(|(msg, _)| msg)
}

/// As [`parse`]; the error also says whether more input could complete
/// `src` (an open quote, `if` without `fi`, a here-document): an
/// interactive shell then reads another line.
pub fn parse_or_more(src: &str, bash: bool) -> Result<ast::Program, (String, bool)> {
  if src.len() > MAX_SCRIPT_BYTES {
    return Err(("script too large".into(), false));
  }
  if nesting(src) > MAX_NESTING || openers(src) > MAX_OPENERS {
    return Err(("script nested too deeply".into(), false));
  }
  let options = ParserOptions {
    enable_extended_globbing: false,
    posix_mode: !bash,
    sh_mode: !bash,
    tilde_expansion: true,
  };
  let tok = brush_parser::TokenizerOptions {
    enable_extended_globbing: false,
    posix_mode: !bash,
    sh_mode: !bash,
  };
  // brush-parser 0.3's tokenizer loops for ever, growing, when the input
  // ends in a comment inside a command substitution in a here-document's
  // delimiter (`<<$( ;#`): here a comment always ends at a newline. A
  // final backslash is literal at the end of input (as in dash and bash),
  // so it gets one of its own to escape it there.
  let src: std::borrow::Cow<'_, str> = if src.ends_with('\n') {
    src.into()
  } else if src.ends_with('\\') {
    format!("{src}\\\n").into()
  } else {
    format!("{src}\n").into()
  };
  let src = &*src;
  if empty_here_tag(src) {
    return Err((
      "Syntax error: here-document delimiter starts with a carriage return or form feed".into(),
      false,
    ));
  }
  let _watch = Watched::start(src.len());
  let parsed = std::panic::catch_unwind(|| {
    let tokens = brush_parser::uncached_tokenize_str(src, &tok)
      .map_err(|e| (format!("Syntax error: {e}"), e.is_incomplete()))?;
    brush_parser::parse_tokens(
      &tokens,
      &options,
      &SourceInfo {
        source: String::new(),
      },
    )
    .map_err(|e| {
      // At the end with something open (`if` without `fi`, a pipe or `&&`
      // waiting for its command); a stray closer (`fi` alone) is no start
      // of anything.
      let more = matches!(e, brush_parser::ParseError::ParsingAtEndOfInput)
        && (openers(src) > 0 || continued(&tokens));
      (syntax_message(&e), more)
    })
  });
  parsed.unwrap_or_else(|_| Err(("Syntax error".into(), false)))
}

/// Whether a here-document operator's delimiter starts with `\r` or
/// `\x0c`: brush-parser 0.3 trims those from a tag, and a tag left empty
/// matches everywhere, which loops without end at the end of input.
fn empty_here_tag(src: &str) -> bool {
  let b = src.as_bytes();
  let mut i = 0;
  while let Some(at) = b[i..].windows(2).position(|w| w == b"<<") {
    let mut j = i + at + 2;
    loop {
      match b.get(j..j + 2) {
        Some([b'\\', b'\n']) => j += 2,
        _ if matches!(b.get(j), Some(b' ' | b'\t' | b'-')) => j += 1,
        _ => break,
      }
    }
    if matches!(b.get(j), Some(b'\r' | b'\x0c')) {
      return true;
    }
    i += at + 2;
  }
  false
}

/// brush-parser 0.3 has loops that never end, growing, on some unfinished
/// input (fuzzing found several; see the tests). A parse cannot be stopped
/// from outside, and the loop would take the machine's memory: one that
/// overruns its time ends the process (a sidecar; the host replaces it and
/// reports a crash), a bounded loss instead of an unbounded one.
struct Watched(u64);

/// Parses running now: id, deadline.
static WATCHED: std::sync::Mutex<Vec<(u64, std::time::Instant)>> =
  std::sync::Mutex::new(Vec::new());

impl Watched {
  fn start(len: usize) -> Watched {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{Duration, Instant};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    static WATCHER: std::sync::Once = std::sync::Once::new();
    // Well past a real parse: brush takes about 0.1 s per MiB here.
    let allowed = Duration::from_secs(3) + Duration::from_millis(len as u64 / 1024);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut w = WATCHED.lock().unwrap_or_else(|e| e.into_inner());
    w.push((id, Instant::now() + allowed));
    drop(w);
    WATCHER.call_once(|| {
      let _ = std::thread::Builder::new()
        .name("shell-parse-watch".into())
        .spawn(|| loop {
          std::thread::sleep(Duration::from_millis(100));
          let now = Instant::now();
          let w = WATCHED.lock().unwrap_or_else(|e| e.into_inner());
          if w.iter().any(|(_, deadline)| now > *deadline) {
            eprintln!("secure-exec: the shell's parser did not end (a brush-parser loop); ending the sidecar");
            std::process::abort();
          }
        });
    });
    Watched(id)
  }
}

impl Drop for Watched {
  fn drop(&mut self) {
    WATCHED
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .retain(|(id, _)| *id != self.0);
  }
}

/// Whether the last operator of `tokens` takes a command after it on a
/// later line (`a |`, `a &&`, `a ||`).
fn continued(tokens: &[brush_parser::Token]) -> bool {
  let last = tokens.iter().rev().find(|t| t.to_str() != "\n");
  matches!(last, Some(brush_parser::Token::Operator(op, _)) if matches!(op.as_str(), "|" | "|&" | "&&" | "||"))
}

fn syntax_message(e: &brush_parser::ParseError) -> String {
  match e {
    brush_parser::ParseError::ParsingAtEndOfInput => "Syntax error: end of file unexpected".into(),
    brush_parser::ParseError::ParsingNearToken(t) => {
      format!("Syntax error: \"{}\" unexpected", t.to_str())
    }
    other => format!("Syntax error: {other}"),
  }
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn scripts_are_bounded_before_they_are_parsed() {
    assert!(parse("echo hi | wc -l && ls > x", false).is_ok());
    let big = "x".repeat(MAX_SCRIPT_BYTES + 1);
    assert_eq!(parse(&big, false).unwrap_err(), "script too large");
    let deep = format!(
      "{}true{}",
      "(".repeat(MAX_NESTING + 1),
      ")".repeat(MAX_NESTING + 1)
    );
    assert_eq!(parse(&deep, false).unwrap_err(), "script nested too deeply");
    let ifs = "if true; then ".repeat(MAX_NESTING + 1);
    assert!(parse(&ifs, false).is_err());
    let ok = format!("{}true{}", "(".repeat(20), ")".repeat(20));
    assert!(parse(&ok, false).is_ok());
  }

  #[test]
  fn the_deepest_script_allowed_parses_on_a_small_stack() {
    // Shell threads have 8 MiB; this runs on a 2 MiB test thread.
    let n = MAX_NESTING - 1;
    let scripts = [
      format!("{}true{}", "(".repeat(n), ")".repeat(n)),
      format!("{}true;{}", "{ ".repeat(n), " }".repeat(n)),
      format!("{}true{}", "if true; then ".repeat(n), "; fi".repeat(n)),
      format!("{}true{}", "while false; do ".repeat(n), "; done".repeat(n)),
      format!("echo {}x{}", "$(echo ".repeat(n), ")".repeat(n)),
      format!("{}true", "! ".repeat(n)),
    ];
    for src in scripts {
      assert!(parse(&src, false).is_ok(), "{}", &src[..40]);
    }
  }

  #[test]
  fn unfinished_input_asks_for_more() {
    for src in [
      "if true; then",
      "echo 'a",
      "echo \"a",
      "for x in 1; do",
      "cat <<EOF\nx",
      "(echo",
    ] {
      assert!(parse_or_more(src, false).unwrap_err().1, "{src}");
    }
    for src in ["echo a |", "echo a &&\n", "false ||"] {
      assert!(parse_or_more(src, false).unwrap_err().1, "{src}");
      assert!(
        parse_or_more(&format!("{src}\necho b"), false).is_ok(),
        "{src}"
      );
    }
    for src in ["echo )", "fi", "echo a | )"] {
      assert!(!parse_or_more(src, false).unwrap_err().1, "{src}");
    }
    assert!(parse_or_more("if true; then echo; fi", false).is_ok());
  }

  #[test]
  fn a_comment_ending_a_here_document_delimiter_ends() {
    // Each of these once kept the tokenizer looping (on its own thread).
    for src in [
      "<<$( ;#",
      "cat <<a$( |#",
      "<<${x:-$( ;#",
      "<<$(( &#x",
      "<<$( ;#\\",
      "<<$( ;#x\\",
      // A tag brush trims to nothing (the second loop fuzzing found).
      "<<\r)\\\n",
      "<<- \x0c(\\\n",
      "cat <<\\\n\r;\\\n",
      "in\"EOF$(||esacfi<;<<-\r>$elif|inuntildone&=$((doin\\donecase ((<<-fiif<<-\0(function$(($((\\\n",
    ] {
      let s = src.to_string();
      let (tx, rx) = std::sync::mpsc::channel();
      std::thread::spawn(move || tx.send(parse_or_more(&s, false).is_err()));
      let r = rx.recv_timeout(std::time::Duration::from_secs(10));
      assert_eq!(r, Ok(true), "{src:?}");
    }
  }

  #[test]
  fn a_parse_that_ended_is_no_longer_watched() {
    for src in ["echo hi", "if", "$("] {
      let _ = parse_or_more(src, false);
    }
    // Other tests parse on other threads meanwhile: only this thread's
    // parses are known to have ended.
    let before = WATCHED.lock().unwrap().len();
    let _ = parse_or_more("echo", false);
    assert!(WATCHED.lock().unwrap().len() <= before);
  }

  #[test]
  fn a_syntax_error_is_a_message() {
    assert!(parse("echo (", false)
      .unwrap_err()
      .starts_with("Syntax error"));
    assert!(parse("if true; then", false)
      .unwrap_err()
      .starts_with("Syntax error"));
  }
}
