// The one excerpt() every view uses for previews (cards, sheets, vote items).
import {test} from "node:test";
import assert from "node:assert/strict";
import {excerpt} from "../../static/js/text.js";

test("excerpt keeps short text whole, on one line", () => {
  assert.equal(excerpt("  a\n\tb  c ", 10), "a b c");
  assert.equal(excerpt(null, 10), "");
});

test("excerpt cuts long text to n characters, ellipsis included", () => {
  const cut = excerpt("abcdefghij", 5);
  assert.equal(cut, "abcd…");
  assert.equal([...cut].length, 5);
  assert.equal(excerpt("abcde", 5), "abcde");
});
