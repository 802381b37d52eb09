/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Set to "1" only by the bench's build: see renderer/app/benchFloor.ts. */
  readonly VITE_BENCH_FLOOR?: string;
}
