// A syntax error in the entry file: reported as Node reports it.
const ok = 1;
const bad = ;
