export default defineBackground(() => {
  // The background alone will talk to the goals API and hold the token (see the sidebar issue).
});
