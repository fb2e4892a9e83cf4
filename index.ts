export { SmsGateway } from './nodes/SmsGateway/SmsGateway.node';
export { SmsGateway24Api } from './credentials/SmsGateway24Api.credentials';
