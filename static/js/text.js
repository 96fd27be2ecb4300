// Plain-text helpers shared by every view (pure: they also load under Node).

/** The text on one line, cut to at most n characters with an ellipsis: for previews of cards and sheets. */
export function excerpt(text, n) {
  const s = String(text || "")
    .replace(/\s+/g, " ")
    .trim();
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
