/** Smooth scrolling, unless the person asked for less motion. */
export const motion = () => (window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");
