// SPDX-License-Identifier: MIT
// The fundtrace devnet's own CCTP-v1-shaped bridge: a TokenMessenger and a MessageTransmitter that
// emit exactly Circle's v1 events (DepositForBurn + MessageSent on the source chain, MintAndWithdraw
// + MessageReceived on the destination) and lay out the message and burn message as CCTP v1 does,
// so a tracer links the legs by (source domain, nonce) as on mainnet. The tokens really move: the
// depositor's tokens go to the messenger, which burns them; the destination messenger mints to the
// recipient. Circle's attestation service is played by one relayer address: only it may deliver a
// message (no signatures). One local token and one remote chain per deployment. Not for production use.
pragma solidity ^0.8.20;

interface IDevBridgeToken {
    function transferFrom(address, address, uint256) external returns (bool);
    function burn(uint256) external;
    function mint(address, uint256) external returns (bool);
}

interface IDevMessageHandler {
    function handleReceiveMessage(uint32 sourceDomain, bytes32 sender, bytes calldata messageBody)
        external
        returns (bool);
}

contract DevMessageTransmitter {
    uint32 public immutable localDomain;
    address public immutable attester;
    uint64 public nextAvailableNonce;
    mapping(bytes32 => uint256) public usedNonces;

    event MessageSent(bytes message);
    event MessageReceived(
        address indexed caller,
        uint32 sourceDomain,
        uint64 indexed nonce,
        bytes32 sender,
        bytes messageBody
    );

    constructor(uint32 domain, address attester_) {
        localDomain = domain;
        attester = attester_;
    }

    function sendMessage(uint32 destinationDomain, bytes32 recipient, bytes calldata messageBody)
        external
        returns (uint64 nonce)
    {
        nonce = nextAvailableNonce++;
        bytes32 sender = bytes32(uint256(uint160(msg.sender)));
        // CCTP v1 message: version, sourceDomain, destinationDomain, nonce, sender, recipient,
        // destinationCaller, messageBody (packed).
        emit MessageSent(
            abi.encodePacked(uint32(0), localDomain, destinationDomain, nonce, sender, recipient, bytes32(0), messageBody)
        );
    }

    function receiveMessage(bytes calldata message, bytes calldata) external returns (bool) {
        require(msg.sender == attester, "not the attester");
        require(message.length >= 116, "message length");
        require(uint32(bytes4(message[0:4])) == 0, "version");
        uint32 sourceDomain = uint32(bytes4(message[4:8]));
        require(uint32(bytes4(message[8:12])) == localDomain, "destination domain");
        uint64 nonce = uint64(bytes8(message[12:20]));
        bytes32 sender = bytes32(message[20:52]);
        address recipient = address(uint160(uint256(bytes32(message[52:84]))));
        bytes32 key = keccak256(abi.encodePacked(sourceDomain, nonce));
        require(usedNonces[key] == 0, "nonce already used");
        usedNonces[key] = 1;
        require(IDevMessageHandler(recipient).handleReceiveMessage(sourceDomain, sender, message[116:]), "handler");
        emit MessageReceived(msg.sender, sourceDomain, nonce, sender, message[116:]);
        return true;
    }
}

contract DevTokenMessenger {
    DevMessageTransmitter public immutable localMessageTransmitter;
    address public immutable localToken;
    uint32 public immutable remoteDomain;
    bytes32 public immutable remoteTokenMessenger;

    event DepositForBurn(
        uint64 indexed nonce,
        address indexed burnToken,
        uint256 amount,
        address indexed depositor,
        bytes32 mintRecipient,
        uint32 destinationDomain,
        bytes32 destinationTokenMessenger,
        bytes32 destinationCaller
    );
    event MintAndWithdraw(address indexed mintRecipient, uint256 amount, address indexed mintToken);

    constructor(address transmitter, address token, uint32 remoteDomain_, address remoteMessenger) {
        localMessageTransmitter = DevMessageTransmitter(transmitter);
        localToken = token;
        remoteDomain = remoteDomain_;
        remoteTokenMessenger = bytes32(uint256(uint160(remoteMessenger)));
    }

    function depositForBurn(uint256 amount, uint32 destinationDomain, bytes32 mintRecipient, address burnToken)
        external
        returns (uint64 nonce)
    {
        require(amount > 0, "amount");
        require(mintRecipient != bytes32(0), "recipient");
        require(burnToken == localToken, "token");
        require(destinationDomain == remoteDomain, "domain");
        require(IDevBridgeToken(burnToken).transferFrom(msg.sender, address(this), amount), "transferFrom");
        IDevBridgeToken(burnToken).burn(amount);
        // CCTP v1 burn message: version, burnToken, mintRecipient, amount, messageSender.
        bytes memory body = abi.encodePacked(
            uint32(0),
            bytes32(uint256(uint160(burnToken))),
            mintRecipient,
            amount,
            bytes32(uint256(uint160(msg.sender)))
        );
        nonce = localMessageTransmitter.sendMessage(destinationDomain, remoteTokenMessenger, body);
        emit DepositForBurn(
            nonce,
            burnToken,
            amount,
            msg.sender,
            mintRecipient,
            destinationDomain,
            remoteTokenMessenger,
            bytes32(0)
        );
    }

    function handleReceiveMessage(uint32 sourceDomain, bytes32 sender, bytes calldata body) external returns (bool) {
        require(msg.sender == address(localMessageTransmitter), "not the transmitter");
        require(sourceDomain == remoteDomain && sender == remoteTokenMessenger, "unknown sender");
        require(body.length == 132, "body length");
        address recipient = address(uint160(uint256(bytes32(body[36:68]))));
        uint256 amount = uint256(bytes32(body[68:100]));
        require(IDevBridgeToken(localToken).mint(recipient, amount), "mint");
        emit MintAndWithdraw(recipient, amount, localToken);
        return true;
    }
}
