// SPDX-License-Identifier: MIT
// A look-alike of the devnet's CCTP contracts, for the two-chain scenario: anyone can make it emit
// MintAndWithdraw + MessageReceived with Circle's exact signatures, claiming any source domain and
// nonce, while moving no tokens. It is not in the registry, so a tracer must not link its events
// to any deposit (a spoofed bridge leg). Not for production use.
pragma solidity ^0.8.20;

contract LookalikeTransmitter {
    event MessageReceived(
        address indexed caller,
        uint32 sourceDomain,
        uint64 indexed nonce,
        bytes32 sender,
        bytes messageBody
    );
    event MintAndWithdraw(address indexed mintRecipient, uint256 amount, address indexed mintToken);

    function receiveMessage(
        uint32 sourceDomain,
        uint64 nonce,
        bytes32 sender,
        address mintRecipient,
        uint256 amount,
        address mintToken
    ) external {
        emit MintAndWithdraw(mintRecipient, amount, mintToken);
        emit MessageReceived(
            msg.sender,
            sourceDomain,
            nonce,
            sender,
            abi.encodePacked(uint32(0), bytes32(uint256(uint160(mintToken))), bytes32(uint256(uint160(mintRecipient))), amount, sender)
        );
    }
}
