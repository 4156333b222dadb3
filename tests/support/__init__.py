"""What the tests share: people and places (world), pages checked, walked and read, the
`reprise` command on the test's clock, documents, servers, render pools, and the processes the
tests start. Test modules import from here, never from one another."""
