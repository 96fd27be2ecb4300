// `make lint`: the browser modules and the Node tests, with ESLint's recommended rules.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {ecmaVersion: 2022, sourceType: "module", globals: {...globals.browser}},
  },
  {
    files: ["tests/js/**/*.mjs", "tests/browser/**/*.js"],
    languageOptions: {ecmaVersion: 2022, sourceType: "module", globals: {...globals.node, ...globals.browser}},
  },
  // Destructuring to drop fields names them `_x`; file names are cleaned of control characters on purpose.
  {rules: {"no-unused-vars": ["error", {args: "none", caughtErrors: "none", varsIgnorePattern: "^_"}]}},
  {files: ["static/js/exports.js"], rules: {"no-control-regex": "off"}},
];
