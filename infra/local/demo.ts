/**
 * The demo installation `npm start` creates: an organisation installing the
 * App on three repositories, as GitHub's `installation.created` webhook says it.
 * A fixed delivery id makes a restart's resend a recognised duplicate.
 */
export const demoDeliveryId = '00000000-0000-4000-8000-00000000demo';

export const demoInstallationCreated = {
  action: 'created',
  installation: {
    id: 4242,
    account: { id: 9001, login: 'flowmeter-demo', type: 'Organization' },
    repository_selection: 'selected',
    app_id: 1,
    target_type: 'Organization',
  },
  repositories: ['api', 'web', 'infra'].map((name, index) => ({
    id: 7000 + index,
    node_id: `R_demo${index}`,
    name,
    full_name: `flowmeter-demo/${name}`,
    private: true,
  })),
  sender: { id: 9002, login: 'demo-admin', type: 'User' },
};
