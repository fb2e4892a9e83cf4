export { SmsGateway } from './nodes/SmsGateway/SmsGateway.node';
export { SmsGateway24Api } from './credentials/SmsGateway24Api.credentials';
export { MessageFlowApi } from './credentials/MessageFlowApi.credentials';
export { SmsBridgeApi } from './credentials/SmsBridgeApi.credentials';
