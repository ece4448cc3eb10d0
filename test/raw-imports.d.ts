/** Vite's `?raw` import: a file's text, e.g. the README a test checks against the code. */
declare module "*?raw" {
  const content: string;
  export default content;
}
