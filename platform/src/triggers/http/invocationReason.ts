/** The reason the host logs for HTTP invocations ("Executing 'Functions.x' (Reason='…')"). */
export const invocationReason = 'This function was programmatically called via the host APIs.';
