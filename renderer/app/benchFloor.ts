/**
 * The bench's floor (tests/bench/run.ts, "page load to list visible"): only in a build made with
 * VITE_BENCH_FLOOR=1, the URL parameter `floor` replaces the clients page with an empty one, so the same
 * bundle times what the stack costs alone (parsing the bundle, React, Mantine, the shell and its reference
 * data) next to the real page. Any other build has no such parameter: Vite replaces the variable with
 * `undefined` and the bundler drops both branches that read it.
 */
export const benchFloor = import.meta.env.VITE_BENCH_FLOOR === '1' && typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('floor');
