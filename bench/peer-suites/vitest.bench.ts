// A vitest bench file. vitest is not installed here, so only xloop measures it.
// @ts-ignore vitest is not installed here: xloop's shim stands in for it.
import { bench, describe } from "vitest";
import { spin } from "./work.ts";

describe("spin", () => {
  bench("spin 2000", () => {
    spin(2000);
  });
  bench("spin 1000", () => {
    spin(1000);
  });
});
