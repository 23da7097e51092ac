// The stack tests run the compose file's deployment natively: the Temporal server and its SQL tool (built once from
// go.temporal.io/server) and the Temporal CLI (for the setup job) are built here, before any test file starts.
import { readComposeStack } from '../../scripts/stack/compose';
import { resolveServerBinaries } from '../../scripts/stack/server-binaries';
import { resolveTemporalBinary } from '../../scripts/temporal-binary';

export default async function setup() {
  await resolveTemporalBinary();
  await resolveServerBinaries(readComposeStack().serverVersion);
}
