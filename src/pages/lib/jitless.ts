/**
 * Imported first by each page. zod probes whether it may compile parsers with `new Function`;
 * the pages' Content-Security-Policy forbids that and reports every probe, so it must not try.
 */
import { config } from "zod/mini";

config({ jitless: true });
